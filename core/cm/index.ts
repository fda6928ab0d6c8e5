// Public API of the contingency-management engine (pure: no I/O, no clock, no randomness).
export * from './analytes.ts';
export * from './caps.ts';
export * from './escalation.ts';
export * from './draws.ts';
export * from './protocol.ts';
export * from './events.ts';
export * from './replay.ts';
export * from './ledger.ts';
export * from './settlement.ts';
export * from './cautions.ts';
export * from './cost.ts';
export * from './forecast.ts';
export * from './presets.ts';
