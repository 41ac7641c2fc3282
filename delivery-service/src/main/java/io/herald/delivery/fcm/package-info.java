/** Firebase Cloud Messaging (Android and web push) through firebase-admin. */
@NullMarked
package io.herald.delivery.fcm;

import org.jspecify.annotations.NullMarked;
