package dev.backendrouter.samples.quickstart;

/** One scene of the tour: it sets its backends up, runs, prints as it goes, and says how it went. */
interface Scene {

    String title();

    Result run(TourContext tour) throws Exception;

    /**
     * @param expectation what the scene set out to show, in a few words
     * @param measured what it measured
     */
    record Result(boolean passed, String expectation, String measured) {
    }
}
