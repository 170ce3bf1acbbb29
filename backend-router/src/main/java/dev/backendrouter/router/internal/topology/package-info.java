/**
 * Reading topology files: parsing with limits, stage overlays, placeholders, and the mapping of
 * the tree onto the model with a problem per bad field. Not public API.
 */
package dev.backendrouter.router.internal.topology;
