package io.herald.client;

import org.jspecify.annotations.Nullable;

/**
 * Herald's answer to a profile write.
 *
 * @param applied {@code true} when the write is applied and {@code profile} is the
 * profile now; {@code false} when it is durable but not yet applied (a {@code 202}): a
 * read shows it shortly, and a conditional write may still be refused there
 * @param profile the profile after the write, when applied
 * @param etag the profile's version after the write, for {@code ifMatch}, when applied
 */
public record ProfileWrite(boolean applied, @Nullable Profile profile, @Nullable String etag) {
}
