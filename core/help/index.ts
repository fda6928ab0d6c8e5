export * from './safety-plan.ts';
export * from './settings.ts';
export * from './texts.ts';
