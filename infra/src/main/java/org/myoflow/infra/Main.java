package org.myoflow.infra;

public final class Main {
    public static void main(String[] args) {
        System.out.println("myoflow");
    }
}
