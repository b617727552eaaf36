// Free-text match on a product's name: the client's text is escaped so that every character stands for
// itself in MongoDB's $regex (an unescaped pattern lets a client make the server backtrack: CWE-1333).
const META = /[.*+?^${}()|[\]\\]/g;

function nameContains(text) {
  return { $regex: text.replace(META, '\\$&'), $options: 'i' };
}

module.exports = { nameContains };
