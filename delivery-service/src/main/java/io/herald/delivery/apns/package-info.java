/** Apple Push Notification service through pushy. */
@NullMarked
package io.herald.delivery.apns;

import org.jspecify.annotations.NullMarked;
