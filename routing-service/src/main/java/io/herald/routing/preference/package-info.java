/**
 * Which channels a user receives an event on: channel switches, category rules, contact
 * points.
 */
@NullMarked
package io.herald.routing.preference;

import org.jspecify.annotations.NullMarked;
