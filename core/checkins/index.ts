export * from './answers.ts';
export * from './rules.ts';
export * from './sms.ts';
export * from './texts.ts';
