/**
 * Video input for every backend: {@link io.github.eagle4j.video.VideoReader} reads an H.264 MP4/MOV file (decoded in
 * pure Java by {@link io.github.eagle4j.video.VideoDecoder}) or a folder of frames, sampled as the model's video
 * processor samples them, into a {@link io.github.eagle4j.video.SampledVideo}.
 */
package io.github.eagle4j.video;
