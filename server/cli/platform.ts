// Placeholder: replaced by the platform command group.
import type { Command } from 'commander';
export function register(_program: Command): void {}
