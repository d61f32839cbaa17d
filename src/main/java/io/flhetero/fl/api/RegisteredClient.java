package io.flhetero.fl.api;

/**
 * A client as the server knows it from its registration: who it is, what device it emulates, how much data it
 * holds, what its JVM sees of the device (processors and maximum heap, which in a container follow its limits),
 * and the training settings its device class states.
 */
public record RegisteredClient(String id, String deviceClass, double cpus, long memoryBytes, int trainExamples,
                               int testExamples, int processors, long maxHeapBytes, FitConfig ownSettings) {

    /**
     * Client ids in their natural order: client2 before client10. Whatever depends on an order of clients (sampling,
     * who gets work first) uses it, so that it never depends on which client happened to register first.
     */
    public static int compareIds(String a, String b) {
        String na = a.replaceAll("\\D", "");
        String nb = b.replaceAll("\\D", "");
        if (!na.isEmpty() && !nb.isEmpty() && na.length() < 10 && nb.length() < 10) {
            int byNumber = Integer.compare(Integer.parseInt(na), Integer.parseInt(nb));
            if (byNumber != 0) {
                return byNumber;
            }
        }
        return a.compareTo(b);
    }
}
