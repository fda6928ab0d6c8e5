// Placeholder: filled in by the outcomes work (issue 17).
import type { Command } from 'commander';

export function registerResearchExport(_group: Command): void {}
