package io.herald.client;

/**
 * A profile as stored, with its version.
 *
 * @param profile the profile
 * @param etag its strong validator, for {@code ifMatch} of a later write
 */
public record StoredProfile(Profile profile, String etag) {
}
