/**
 * Image files: reading photos into {@link io.github.eagle4j.RgbImage}, writing PNGs atomically, and the
 * 16-bit grayscale label-map format of {@code regions.png} / {@code --regions-file}.
 * The file formats as the command line uses them: docs/cli.md.
 */
package io.github.eagle4j.imageio;
