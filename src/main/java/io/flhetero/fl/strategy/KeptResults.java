package io.flhetero.fl.strategy;

import io.flhetero.fl.api.Failure;
import io.flhetero.fl.api.FitOutcome;

import java.util.List;

/** A round's fit results split by over-selection: those it aggregates, and the rest as DROPPED failures. */
public record KeptResults(List<FitOutcome> kept, List<Failure> dropped) {
}
