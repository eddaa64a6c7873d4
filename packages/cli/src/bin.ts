#!/usr/bin/env node
/**
 * The `resonant` executable: runs the CLI and ends with its exit code.
 * @module
 */
import { main } from "./program.js";

process.exitCode = await main(process.argv);
