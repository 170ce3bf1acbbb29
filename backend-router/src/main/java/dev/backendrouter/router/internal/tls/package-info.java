/** Per-member TLS: trusted certificates, trust stores and pins, loaded with the routing table. Not public API. */
package dev.backendrouter.router.internal.tls;
