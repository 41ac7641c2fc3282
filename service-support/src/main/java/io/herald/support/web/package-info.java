/** The error catalogue, problem details and API request filters. */
@NullMarked
package io.herald.support.web;

import org.jspecify.annotations.NullMarked;
