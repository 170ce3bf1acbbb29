/** The Backend Connections registry as a Spring Boot service; its API is docs/registry-api.md. */
package dev.backendrouter.registry;
