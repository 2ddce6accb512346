package dev.autocert4j.internal.acme;

/** What is being done with the CA, for messages; updated as a conversation moves on. */
final class Doing {
    private String what;

    Doing(String what) {
        this.what = what;
    }

    void set(String what) {
        this.what = what;
    }

    String what() {
        return what;
    }
}
