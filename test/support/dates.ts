/**
 * The date that tests judge grants, agreements and exceptions against, so that no test depends
 * on today's date. Every grant and agreement of the embedded default is current on it.
 */
export const TEST_NOW = '2026-11-26';
