/** The artifact contract: names and keys that targets write and policies read. A leaf. */
export * from './keys';
export * from './names';
export * from './gpu-nodes';
export * from './federation';
