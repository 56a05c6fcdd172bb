/*
 * Worker-thread entry for the threaded build of @tensorflow/tfjs-backend-wasm under Node (see wasm-threads.ts).
 * The stock glue hands Node's Worker a blob: URL (which Node refuses) and sends the main script as a Blob that the
 * worker turns into another blob: URL for importScripts (which reads it with fs). Here the worker is a real file,
 * and the main script resolves to the package's own copy of the same Emscripten factory on disk.
 */
'use strict';
const path = require('node:path');
const wasmOut = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
const mainScript = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
URL.createObjectURL = () => mainScript;
URL.revokeObjectURL = () => {};
const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));
// As tfjs does before making its blob: the body's only newline sits inside a string literal and must stay escaped.
// The body expects CommonJS' require and __filename as free variables.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, mainScript);
