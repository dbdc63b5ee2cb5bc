/** Region-ordering searches over the EAGLE objective: full greedy, efficient bidirectional, lazy greedy (docs/method.md §4–§7). */
package io.github.eagle4j.search;
