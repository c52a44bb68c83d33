/** The environment variable naming the folder of the upstream schemas (a module of its own: read without loading the validator). */
export const SCHEMAS_ENV = 'GENESIS_SCHEMAS_DIR';
