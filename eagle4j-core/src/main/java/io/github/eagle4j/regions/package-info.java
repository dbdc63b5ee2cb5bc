/** Region division: SLIC superpixels, regular grids and user label maps (docs/method.md §2). */
package io.github.eagle4j.regions;
