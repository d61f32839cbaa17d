package io.flhetero.profile;

/** Command-line values that replace the profile's own; null means "keep the profile's". */
public record ProfileOverrides(Integer rounds, Integer clients, Double dataPercentage, String dataset) {

    public static final ProfileOverrides NONE = new ProfileOverrides(null, null, null, null);
}
