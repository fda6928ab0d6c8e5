// `npm start`: serve Waypoint with the configuration from the environment.
import { reportStartFailure, serve } from './serve.ts';

await serve().catch(reportStartFailure);
