/** Attribution map, faithfulness curves and AUCs, pointing game, token reliance (docs/method.md §8–§9). */
package io.github.eagle4j.metrics;
