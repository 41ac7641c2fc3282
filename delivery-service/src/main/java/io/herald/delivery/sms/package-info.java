/** SMS through twilio-java. */
@NullMarked
package io.herald.delivery.sms;

import org.jspecify.annotations.NullMarked;
