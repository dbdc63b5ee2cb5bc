/**
 * Data-set evaluation: baseline region orders (a seeded random order, single-region occlusion) scored with the
 * same protocol as EAGLE's own curves ({@link io.github.eagle4j.evaluation.Baselines}), and the means over items
 * that a summary reports ({@link io.github.eagle4j.evaluation.MethodSummary}).
 */
package io.github.eagle4j.evaluation;
