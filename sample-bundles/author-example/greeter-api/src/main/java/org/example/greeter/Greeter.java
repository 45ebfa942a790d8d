package org.example.greeter;

/** Greets people and remembers how often it greeted each. */
public interface Greeter {
    String greet(String name);

    /** How often {@code name} was greeted, across updates. */
    long greeted(String name);

    /** Which implementation serves: "1", "2". */
    String version();
}
