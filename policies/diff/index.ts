/** The security diff of two synthesized outputs: see policies/diff/engine.ts. */
export {
  DEFAULT_SECTIONS,
  diffOutputs,
  diffSides,
  failsOn,
  resourceChanges,
  type DiffOptions,
} from './engine';
export { changeLine, toJson, toMarkdown, toSarif, toSarifText, type Sides } from './render';
export { readSide, REPORTS } from './side';
export { reportSection, accessSection, reachabilitySection } from './sections/cells';
export { privilegeSection, quotaSection, protectionSection, resourcesSection } from './sections/artifacts';
export type * from './types';
