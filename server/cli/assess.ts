// Placeholder: replaced by the assess command group.
import type { Command } from 'commander';
export function register(_program: Command): void {}
