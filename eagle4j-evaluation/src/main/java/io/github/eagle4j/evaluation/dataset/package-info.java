/**
 * Data-set evaluation as a library: a JSON Lines {@link io.github.eagle4j.evaluation.dataset.Manifest}, the
 * resumable and shardable run ({@link io.github.eagle4j.evaluation.dataset.DataSetEvaluator}) over an output folder
 * ({@link io.github.eagle4j.evaluation.dataset.EvaluationStore}), one item's evaluation
 * ({@link io.github.eagle4j.evaluation.dataset.ItemEvaluator}) and the summary computed from the items' files
 * ({@link io.github.eagle4j.evaluation.dataset.EvaluationSummary}). Progress reaches the caller through an
 * {@link io.github.eagle4j.evaluation.dataset.EvaluationListener}; nothing here prints. The folder layout and the
 * manifest format are described in docs/evaluation.md.
 */
package io.github.eagle4j.evaluation.dataset;
