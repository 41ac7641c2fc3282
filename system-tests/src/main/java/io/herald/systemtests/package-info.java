/**
 * The chaos suite behind {@code ./platform chaos}: a stack of its own, each part of it
 * broken in the middle of a load, and what was lost, duplicated or out of order counted.
 */
@NullMarked
package io.herald.systemtests;

import org.jspecify.annotations.NullMarked;
