/** Builds the masked images the model sees: regions kept or removed, removed pixels filled (docs/method.md §3). */
package io.github.eagle4j.masking;
