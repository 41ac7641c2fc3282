/** What every provider implementation offers the dispatcher: one send, one outcome. */
@NullMarked
package io.herald.delivery.provider;

import org.jspecify.annotations.NullMarked;
