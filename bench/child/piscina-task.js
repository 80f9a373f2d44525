// Piscina baseline task for the pool figure: a tiny piece of work.
module.exports = ({ x }) => x * 2 + 1;
