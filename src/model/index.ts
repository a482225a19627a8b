export * from './errors.js';
export * from './kinds.js';
export * from './plan.js';
export * from './resource.js';
export * from './secret.js';
export * from './state.js';
export * from './target.js';
export * from './fingerprint.js';
