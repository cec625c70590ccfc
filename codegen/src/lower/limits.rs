//! Limits on what a document may ask for, so that every crate the
//! generator writes also builds: past them rustc fails or runs out of
//! memory, whatever the generator emits. Both front ends check them while
//! lowering, and a document over one is an error naming the JSON path.
//!
//! Each limit is far above what any real document needs (the README lists
//! the measured maxima): they only stop documents made to break things.
//! The identifier limit lives with the names it limits
//! ([`crate::naming::MAX_IDENTIFIER_LEN`]).

use std::cell::Cell;

/// How deep a value may sit in lists, maps and objects declared inline,
/// counted from the named schema (or the body, response or parameter)
/// that holds it: `{"type": "array", "items": {"type": "array", ...}}`
/// is 2 at the inner array's items.
///
/// rustc overflows its drop check on maps nested 63 deep (`error[E0320]`);
/// the deepest value of the 610 Discovery documents Google publishes or of
/// the OpenAPI corpus is 10 deep (in Books v1). 32 is well clear of both.
pub const MAX_NESTING: usize = 32;

/// How many values an OpenAPI document may hold once its references are
/// inlined (every reference but those to named schemas is replaced by a
/// copy of its target), for each value of the files it was read from; plus
/// [`INLINED_ALLOWANCE`].
///
/// References that each copy several others, over a few levels, would
/// otherwise grow the document exponentially (a "billion laughs": 30
/// levels of two make a billion copies), and the generator's time and
/// memory with it. The OpenAPI corpus grows at most 1.5 times.
pub const INLINED_PER_VALUE: usize = 64;

/// Values any document may hold once its references are inlined, whatever
/// its size (see [`INLINED_PER_VALUE`]).
pub const INLINED_ALLOWANCE: usize = 1_000_000;

/// How deep an OpenAPI document may nest once its references are inlined,
/// counting each reference inlined inside another as a level too: as deep
/// as the JSON and YAML parsers let its text nest.
///
/// A chain of references each inlined inside the next (or naming the
/// next, `{"$ref": ...}` to `{"$ref": ...}`) could otherwise nest without
/// end, and the generator walks documents recursively: a stack overflow
/// aborts, it is no error. The corpus nests at most 15 deep.
pub const MAX_INLINED_DEPTH: usize = 128;

/// The nesting of the value being lowered: one more for each list, map or
/// inline object entered, one less when it is left (see [`Nesting::enter`]).
#[derive(Default)]
pub(crate) struct Nesting(Cell<usize>);

/// One level of [`Nesting`], given back when dropped.
pub(crate) struct Level<'a>(&'a Nesting);

/// A value nested deeper than [`MAX_NESTING`].
pub(crate) struct TooDeep;

impl TooDeep {
    /// What is wrong, for an error at the value's path.
    pub(crate) fn message(&self) -> String {
        format!(
            "lists, maps and objects declared inline are nested more than {MAX_NESTING} deep \
             here (counted from the named schema, body, response or parameter holding them), \
             over the generator's limit: rustc cannot build types nested about twice as deep"
        )
    }
}

impl Nesting {
    /// Enters one more list, map or inline object, for as long as the
    /// returned level lives; an error past [`MAX_NESTING`].
    pub(crate) fn enter(&self) -> Result<Level<'_>, TooDeep> {
        let depth = self.0.get() + 1;
        if depth > MAX_NESTING {
            return Err(TooDeep);
        }
        self.0.set(depth);
        Ok(Level(self))
    }
}

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.0.0.set(self.0.0.get().saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_given_back_and_the_limit_holds() {
        let nesting = Nesting::default();
        {
            let _levels: Vec<Level<'_>> = (0..MAX_NESTING)
                .map(|_| nesting.enter().ok().unwrap())
                .collect();
            assert!(nesting.enter().is_err());
        }
        assert!(nesting.enter().is_ok());
        assert_eq!(nesting.0.get(), 0, "a dropped level is given back");
    }
}
