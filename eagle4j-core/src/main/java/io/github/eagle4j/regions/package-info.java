/** Region division: SLIC superpixels, regular grids and user label maps (method spec §2). */
package io.github.eagle4j.regions;
