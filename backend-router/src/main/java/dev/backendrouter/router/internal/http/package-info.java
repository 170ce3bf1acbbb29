/** The OkHttp front door: the routing interceptor and its attempts. Not public API. */
package dev.backendrouter.router.internal.http;
