package io.herald.ingestion.template;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;

import java.util.function.BooleanSupplier;

/**
 * The application's availability, with readiness held at
 * {@link ReadinessState#REFUSING_TRAFFIC} until the template catalog is loaded: an
 * instance that would answer {@code 503} to every event naming a template takes no
 * traffic. Every other state is the application's own, so the readiness probe
 * ({@code /actuator/health/readiness}) reports the catalog without any change to the
 * health groups.
 */
final class CatalogAwareAvailability extends ApplicationAvailabilityBean {

	private final BooleanSupplier catalogLoaded;

	CatalogAwareAvailability(BooleanSupplier catalogLoaded) {
		this.catalogLoaded = catalogLoaded;
	}

	@Override
	public <S extends AvailabilityState> S getState(Class<S> stateType, S defaultState) {
		return held(stateType, super.getState(stateType, defaultState));
	}

	@Override
	public <S extends AvailabilityState> @Nullable S getState(Class<S> stateType) {
		S state = super.getState(stateType);
		return (state != null) ? held(stateType, state) : null;
	}

	private <S extends AvailabilityState> S held(Class<S> stateType, S state) {
		if (stateType == ReadinessState.class && state == ReadinessState.ACCEPTING_TRAFFIC
				&& !this.catalogLoaded.getAsBoolean()) {
			return stateType.cast(ReadinessState.REFUSING_TRAFFIC);
		}
		return state;
	}

}
