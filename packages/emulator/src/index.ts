/**
 * @since 0.1.0
 */
export * as Toe from "./Toe.js"
