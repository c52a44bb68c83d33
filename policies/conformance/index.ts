/** Schema conformance of Kubernetes manifests (reads only files). */
export { DEFAULT_SCHEMA_ALIASES, validateManifests, type Problem, type ValidateOptions } from './validate';
export { availableKubernetesVersions, pickKubernetesVersion, SCHEMAS_ENV, SchemaSet } from './schemas';
export { goPattern, strictSchema } from './strict-schema';
