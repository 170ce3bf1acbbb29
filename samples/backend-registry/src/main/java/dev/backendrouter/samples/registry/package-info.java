/** A runnable Backend Connections registry for trying the registry source; see docs/registry-api.md. */
package dev.backendrouter.samples.registry;
