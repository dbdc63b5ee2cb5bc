/** Builds the masked images the model sees: regions kept or removed, removed pixels filled (method spec §3). */
package io.github.eagle4j.masking;
