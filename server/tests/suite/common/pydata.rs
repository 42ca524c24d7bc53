//! Reads the Python literals the camt goldens are written in (`../shared/fixtures/camt/golden-*.pydata`:
//! tuples, lists, dicts, strings with implicit concatenation, numbers, `None`), as JSON values.

use serde_json::{Map, Number, Value};

/// Parses one Python literal.
pub fn parse(text: &str) -> Value {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let value = p.value();
    p.space();
    assert_eq!(p.at, p.chars.len(), "trailing text in the golden");
    value
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn space(&mut self) {
        while self.at < self.chars.len() && self.chars[self.at].is_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> char {
        self.space();
        self.chars[self.at]
    }

    fn expect(&mut self, c: char) {
        assert_eq!(self.peek(), c, "at {}", self.at);
        self.at += 1;
    }

    fn value(&mut self) -> Value {
        match self.peek() {
            '(' => self.sequence('(', ')'),
            '[' => self.sequence('[', ']'),
            '{' => self.dict(),
            '\'' | '"' => {
                // Adjacent literals are one string.
                let mut s = String::new();
                while matches!(self.peek(), '\'' | '"') {
                    s.push_str(&self.string());
                }
                Value::String(s)
            }
            _ => self.word(),
        }
    }

    fn sequence(&mut self, open: char, close: char) -> Value {
        self.expect(open);
        let mut items = Vec::new();
        loop {
            if self.peek() == close {
                self.at += 1;
                return Value::Array(items);
            }
            items.push(self.value());
            if self.peek() == ',' {
                self.at += 1;
            }
        }
    }

    fn dict(&mut self) -> Value {
        self.expect('{');
        let mut map = Map::new();
        loop {
            if self.peek() == '}' {
                self.at += 1;
                return Value::Object(map);
            }
            let Value::String(key) = self.value() else {
                panic!("a dict key is a string");
            };
            self.expect(':');
            let value = self.value();
            map.insert(key, value);
            if self.peek() == ',' {
                self.at += 1;
            }
        }
    }

    fn string(&mut self) -> String {
        let quote = self.chars[self.at];
        self.at += 1;
        let mut s = String::new();
        loop {
            let c = self.chars[self.at];
            self.at += 1;
            match c {
                '\\' => {
                    let e = self.chars[self.at];
                    self.at += 1;
                    s.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                }
                c if c == quote => return s,
                c => s.push(c),
            }
        }
    }

    fn word(&mut self) -> Value {
        let start = self.at;
        while self.at < self.chars.len()
            && !matches!(self.chars[self.at], ',' | ')' | ']' | '}' | ':')
            && !self.chars[self.at].is_whitespace()
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        match word.as_str() {
            "None" => Value::Null,
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            number => {
                if let Ok(i) = number.parse::<i64>() {
                    Value::Number(i.into())
                } else {
                    let f: f64 = number
                        .parse()
                        .unwrap_or_else(|_| panic!("not a literal: {number}"));
                    Value::Number(Number::from_f64(f).expect("finite"))
                }
            }
        }
    }
}
