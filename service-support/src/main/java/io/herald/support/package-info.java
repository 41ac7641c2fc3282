/** What every Herald service's API shares. */
@NullMarked
package io.herald.support;

import org.jspecify.annotations.NullMarked;
