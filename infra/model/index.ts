/** The platform model: schemas, inferred types, cross-checks and loading. Knows no target. */
export * from './accelerators';
export * from './capacity';
export * from './classification';
export * from './clusters';
export * from './checks';
export * from './datasets';
export * from './enclaves';
export * from './grants';
export * from './load';
export * from './platform';
export * from './primitives';
export * from './problems';
export * from './sites';
export * from './storage';
export * from './tenants';
