#!/usr/bin/env node
// The `waypoint` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
