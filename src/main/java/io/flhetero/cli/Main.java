package io.flhetero.cli;
public class Main { public static void main(String[] a) {} }
