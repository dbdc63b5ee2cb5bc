/**
 * Black-box baselines EAGLE is compared with, each ranking the same regions from the same
 * {@link io.github.eagle4j.TokenScorer} and fill: {@link io.github.eagle4j.baselines.RiseAttribution RISE},
 * {@link io.github.eagle4j.baselines.LimeAttribution LIME}, {@link io.github.eagle4j.baselines.KernelShapAttribution
 * KernelSHAP}, {@link io.github.eagle4j.baselines.OcclusionAttribution single-region occlusion} and
 * {@link io.github.eagle4j.baselines.RandomAttribution a random order}. Each returns a
 * {@link io.github.eagle4j.baselines.RegionAttribution}: the order, the raw score per region and the images it
 * scored. The score of a masked image is the mean target probability, the quantity EAGLE's curves use.
 */
package io.github.eagle4j.baselines;
